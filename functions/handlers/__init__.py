"""Lambda entry modules: thin wrappers that build their clients once per execution environment."""
