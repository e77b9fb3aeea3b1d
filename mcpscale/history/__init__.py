"""Pure logic over saved results: compare, trend, portfolio, JUnit."""
