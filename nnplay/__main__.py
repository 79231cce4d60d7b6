from nnplay.cli import main

raise SystemExit(main())
