"""The securitizing move tested (chapter 3): the fair baseline, the speech-act coding, the codebook and its validation sample."""
