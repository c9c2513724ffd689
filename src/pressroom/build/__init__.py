"""Building: one source through the whole pipeline (read, lay out, write, proof), many sources in
worker processes or on a Dask cluster, and the fixity files an archive keeps beside them."""
