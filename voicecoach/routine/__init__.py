"""Reading routine files: the marked YAML nodes, the grammar, quantities, the schema, the
bundled routines and the config file. Imports no audio library."""
