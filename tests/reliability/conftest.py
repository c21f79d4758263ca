import sys
from pathlib import Path

# corpus.py sits beside the tests that use it.
sys.path.insert(0, str(Path(__file__).parent))
