"""Reading: a canonical source (or a collection of them) into the model, with its front matter,
registries, pictures and indexes, every problem located at file:line:col."""
