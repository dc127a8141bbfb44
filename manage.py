#!/usr/bin/env python
from gongshi.cli import main

if __name__ == "__main__":
    main()
