"""Code-family execution: repository environments (toolchain and dependency images), the
in-container workspace (base checkout + patches at episode start) and test runs with JUnit."""
