"""Input and output: paths, atomic files, CSV tables with schemas, partial dates, text normalisation and the tokenizer, CNKI exports."""
