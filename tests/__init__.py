"""The test suite (a regular package: pygeoapi's wheel installs a top-level ``tests``
package into site-packages, which would otherwise shadow this one)."""
