"""The file formats as pydantic models, their JSON Schemas, and results to and from dicts.

The bottom layer: it imports nothing of mcpscale's but `errors`."""
