"""The securitizing move tested (notebooks/securitizing_move): the fair baseline, the inference on documents, the
speech-act coding, the codebook and its validation sample."""
