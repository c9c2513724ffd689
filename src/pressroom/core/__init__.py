"""The core every stage stands on: the document model, errors and their exit codes, build options,
whole-file output, reproducible zips, signals, and the book's own words. Imports nothing above it."""
