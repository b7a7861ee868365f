import sys

from benchmarks.precision.run import main

sys.exit(main())
