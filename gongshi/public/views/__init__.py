"""The public portal's HTML views, one module per page family."""
