"""Training, model selection and evaluation of the reason heads (``models.reason_heads``).

``reason_heads`` trains them and writes the heads file, ``selection`` chooses the L2 strength,
the direction threshold and the subject margin by cross-validation on the train split,
``evaluation`` computes the rules' and the models' figures on a split. Used by
``benchmarks.reasons_train``, ``benchmarks.reasons_eval`` and the tests; a review never
imports this package.
"""
