import sys

from arabic_news.cli import main

sys.exit(main())
