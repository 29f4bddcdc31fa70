"""Campaign-response propensity: training rows, learners, out-of-fold evaluation, final
scores and reason codes.

The feature table (``int_propensity_features``) holds one row per customer with
``customer_id``, ``is_training`` (contacted in the target campaign), ``has_responded``
(the target, null when not contacted) and numeric features measured before the
campaign's contact date; the segment at that date is added as a one-hot group.
``data`` builds the design matrix, ``learners`` fits the two models, ``cross_validation``
evaluates them out of fold, ``scoring`` scores every customer and ``reasons`` says why.
"""
