"""Reading and writing files: YAML/JSONC with line numbers, packs, load_* functions,
cross-file checks, the one writer and the one clock."""
