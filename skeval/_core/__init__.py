"""The data flow every consumer shares, one module per step.

::

    estimator --scores--> curve --counts--> objective --values--> selection
    _scores.py            _curve.py         _formulas.py          _selection.py
    (response method,     (weighted counts  _multiclass.py        (constraint mask,
     score -> label)       at every         _objective.py          fold merging,
    _labels.py             distinct score)  (what is maximised)    midpoint and tie
    (label checks)        _count_table.py   _costs.py              rules, one result)
    _counts.py            _lazy.py          (the cost evaluator)  _uncertainty.py
    (label counts)        (chunks, dask)                          (certified bounds)

``_request.py`` resolves what the user asked for (objective, constraint,
positive class, response method, costs) once into a spec that the tuner,
``operating_point``, the scorers, the reports, the display and ``diagnose``
share. Nothing here imports the estimators, the metrics package or the plots:
they are the consumers.
"""
