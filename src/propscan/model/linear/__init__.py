"""The crf-linear model family: a CRF span tagger and a logistic-regression technique classifier."""
