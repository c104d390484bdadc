"""Chronicle: from a child's serious harm to the National Panel's evidence base."""
