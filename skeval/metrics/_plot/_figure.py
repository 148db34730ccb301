"""Drawing a ThresholdCurveDisplay: curves, folds, constraint, thresholds.

The display's constructors (``from_predictions``, ``from_estimator``,
``from_tuner``) compute what to draw; this half draws it, one method per
layer, each storing its matplotlib artists as public attributes.
"""

import numpy as np

from ..._core._formulas import COUNT_METRICS
from ..._core._selection import values_at
from ._draw import _curve_label, _decimate, _finite, _import_pyplot, _label, _style

__all__ = ["ThresholdCurveFigure"]


class ThresholdCurveFigure:
    """The drawing half of :class:`~skeval.ThresholdCurveDisplay`."""

    # ------------------------------------------------------------------ plot
    def _check_arrays(self):
        thresholds = np.asarray(self.thresholds, dtype=np.float64)
        if thresholds.ndim != 1:
            raise ValueError(
                f"`thresholds` must be one-dimensional. Got shape {thresholds.shape}."
            )
        n = len(thresholds)
        values = {k: np.asarray(v, dtype=np.float64) for k, v in self.values.items()}
        for key, v in values.items():
            if v.shape != (n,):
                raise ValueError(
                    f"Each curve in `values` must have one value per threshold "
                    f"({n}). Got shape {v.shape} for {key!r}."
                )
        folds = {
            k: np.asarray(v, dtype=np.float64)
            for k, v in (self.fold_values or {}).items()
        }
        for key, v in folds.items():
            if v.ndim != 2 or v.shape[1] != n:
                raise ValueError(
                    "Each entry of `fold_values` must have shape (n_folds, "
                    f"{n}). Got shape {v.shape} for {key!r}."
                )
        if self.objective_name is not None and self.objective_name not in values:
            raise ValueError(
                f"`objective_name` must be a key of `values` {list(values)}. "
                f"Got {self.objective_name!r}."
            )
        return thresholds, values, folds

    def plot(
        self,
        ax=None,
        *,
        name=None,
        folds="lines",
        curve_kwargs=None,
        fold_kwargs=None,
        despine=False,
    ):
        """Plot visualization.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            Axes to plot on. None: a new figure and axes are created.

        name : str, default=None
            Title of the plot. None: the ``name`` given at construction.

        folds : {"lines", "band"} or None, default="lines"
            How per-fold curves are drawn: one thin line per fold, the band
            between the lowest and the highest fold, or not at all.

        curve_kwargs : dict of str to dict, default=None
            Keyword arguments for matplotlib's ``plot``, per curve name
            (``{"f1": {"color": "black"}}``), overriding the defaults.

        fold_kwargs : dict, default=None
            Keyword arguments for the fold lines (``plot``) or bands
            (``fill_between``).

        despine : bool, default=False
            Whether to remove the top and right spines.

        Returns
        -------
        display : ThresholdCurveDisplay
            Object that stores computed values and the artists.
        """
        plt = _import_pyplot(f"{type(self).__name__}.plot")
        if folds not in ("lines", "band", None):
            raise ValueError(f'`folds` must be "lines", "band" or None. Got {folds!r}.')
        thresholds, values, fold_values = self._check_arrays()
        curve_kwargs = curve_kwargs or {}
        unknown = sorted(set(curve_kwargs) - set(values))
        if unknown:
            raise ValueError(
                f"`curve_kwargs` keys must be curve names {list(values)}. "
                f"Got {unknown}."
            )
        if ax is None:
            _, ax = plt.subplots(figsize=(9.5, 5), layout="constrained")
            self._own_figure = True
        else:
            self._own_figure = False
        self.ax_, self.figure_ = ax, ax.figure

        mask = _finite(thresholds)
        x = thresholds[mask]
        obj_values = values.get(self.objective_name)
        # an objective outside [0, 1] (a cost) gets its own y axis
        twin = (
            obj_values is not None
            and len(values) > 1
            and bool(np.any(np.abs(obj_values[mask]) > 1.0 + 1e-9))
        )
        self.objective_ax_ = ax.twinx() if twin else ax
        self._colors = {key: f"C{i}" for i, key in enumerate(values)}

        # folds first, so the mean curves are drawn on top of them
        self._draw_folds(x, mask, fold_values, folds, fold_kwargs)
        self._draw_curves(x, mask, values, fold_values, curve_kwargs)
        self._draw_constraint(x, mask, values)
        self._draw_thresholds(thresholds, obj_values)
        self._decorate(x, values, mask, twin, name, despine)
        return self

    def _axes_of(self, key):
        return self.objective_ax_ if key == self.objective_name else self.ax_

    def _draw_folds(self, x, mask, fold_values, folds, fold_kwargs):
        """Each fold's curve as a thin line, or the band between the folds."""
        self.fold_lines_, self.fold_bands_ = {}, {}
        if folds is None:
            return
        for key, rows in fold_values.items():
            color = self._colors.get(key, "0.5")
            if folds == "lines":
                label = f"{_label(key)}, each fold ({len(rows)})"
                base = {"color": color, "drawstyle": "steps-post"}
                style = _style({**base, "linewidth": 0.8, "alpha": 0.45}, fold_kwargs)
                lines = []
                for i, row in enumerate(rows):
                    keep = _decimate(x, [row[mask]])
                    lines.extend(
                        self._axes_of(key).plot(
                            x[keep],
                            row[mask][keep],
                            **{"label": label if i == 0 else "_nolegend_", **style},
                        )
                    )
                self.fold_lines_[key] = lines
                continue
            low, high = rows.min(axis=0)[mask], rows.max(axis=0)[mask]
            keep = _decimate(x, [low, high])
            band_style = {
                "color": color,
                "alpha": 0.2,
                "linewidth": 0,
                "step": "post",
                "label": f"{_label(key)}, fold range ({len(rows)})",
                **dict(fold_kwargs or {}),
            }
            self.fold_bands_[key] = self._axes_of(key).fill_between(
                x[keep], low[keep], high[keep], **band_style
            )

    def _draw_curves(self, x, mask, values, fold_values, curve_kwargs):
        """The mean (or only) curve of each metric; the objective in bold."""
        self.lines_ = {}
        for key, v in values.items():
            is_obj = key == self.objective_name
            keep = _decimate(x, [v[mask]])
            default = {
                "color": self._colors[key],
                "drawstyle": "steps-post",
                "linewidth": 2.4 if is_obj else 1.6,
                "label": _curve_label(key, is_obj, fold_values.get(key)),
                "zorder": 3 if is_obj else 2,
            }
            style = _style(default, curve_kwargs.get(key))
            (self.lines_[key],) = self._axes_of(key).plot(
                x[keep], v[mask][keep], **style
            )

    def _draw_constraint(self, x, mask, values):
        """The constraint's limit and, shaded, where the curve misses it."""
        self.constraint_line_ = self.infeasible_region_ = None
        if self.constraint is None:
            return
        metric, limit = self.constraint
        self.infeasible_region_ = self._shade_infeasible(x, values, mask)
        relation = {"lower": "\u2265", "upper": "\u2264"}.get(
            getattr(COUNT_METRICS.get(metric), "bound", None), "="
        )
        self.constraint_line_ = self._axes_of(metric).axhline(
            limit,
            color=self._colors.get(metric, "0.3"),
            linestyle="--",
            linewidth=1.2,
            label=f"Constraint: {_label(metric)} {relation} {limit:g}",
        )

    def _draw_thresholds(self, thresholds, obj_values):
        """The chosen and default thresholds, and each fold's own choice."""
        self.best_marker_ = self._mark(
            thresholds,
            obj_values,
            self.best_threshold,
            label="Chosen threshold",
            style={"marker": "o", "markersize": 10, "color": "black"},
            line_style={"color": "black", "linestyle": "-", "alpha": 0.6},
        )
        self.default_marker_ = self._mark(
            thresholds,
            obj_values,
            self.default_threshold,
            label="Default threshold",
            style={
                "marker": "s",
                "markersize": 8,
                "color": "0.35",
                "markerfacecolor": "white",
                "markeredgewidth": 1.8,
            },
            line_style={"color": "0.35", "linestyle": ":", "alpha": 0.9},
        )
        self.fold_thresholds_marker_ = None
        if self.fold_thresholds is None:
            return
        fold_t = np.asarray(self.fold_thresholds, dtype=np.float64)
        fold_t = fold_t[np.isfinite(fold_t)]
        (self.fold_thresholds_marker_,) = self.ax_.plot(
            fold_t,
            np.full(len(fold_t), 0.015),
            linestyle="none",
            marker="|",
            markersize=14,
            markeredgewidth=1.6,
            color="black",
            transform=self.ax_.get_xaxis_transform(),
            label=f"Each fold's best threshold ({len(fold_t)})",
        )

    def _shade_infeasible(self, x, values, mask):
        """Shade the thresholds where the constraint's curve misses its limit."""
        metric, limit = self.constraint
        bound = getattr(COUNT_METRICS.get(metric), "bound", None)
        if metric not in values or bound is None or not x.size:
            return None
        v = values[metric][mask]
        missed = (v < limit) if bound == "lower" else (v > limit)
        if not missed.any():
            return None
        keep = _decimate(x, [missed.astype(np.float64)])
        return self.ax_.fill_between(
            x[keep],
            0,
            1,
            where=missed[keep],
            step="post",
            transform=self.ax_.get_xaxis_transform(),
            color="0.5",
            alpha=0.12,
            linewidth=0,
            label="Constraint not met",
        )

    def _mark(self, thresholds, obj_values, threshold, *, label, style, line_style):
        """A vertical line at ``threshold`` and its point on the objective."""
        if threshold is None or not np.isfinite(threshold):
            return None
        threshold = float(threshold)
        text = f"{label} {threshold:.3g}"
        if obj_values is None:
            return self.ax_.axvline(threshold, label=text, **line_style)
        self.ax_.axvline(threshold, linewidth=1, zorder=1, **line_style)
        y = float(values_at(thresholds, obj_values, np.array([threshold]))[0])
        text += f" ({_label(self.objective_name)} {y:.3f})"
        (marker,) = self.objective_ax_.plot(
            [threshold], [y], linestyle="none", zorder=5, label=text, **style
        )
        return marker

    def _decorate(self, x, values, mask, twin, name, despine):
        ax = self.ax_
        method = self.response_method or "score"
        xlabel = f"Decision threshold on {method}"
        if self.pos_label is not None:
            xlabel += f" (positive class: {self.pos_label})"
        shown = [
            v[mask]
            for key, v in values.items()
            if v[mask].size and not (twin and key == self.objective_name)
        ]
        if shown:
            lo = min(0.0, *(float(v.min()) for v in shown))
            hi = max(1.0, *(float(v.max()) for v in shown))
            pad = 0.02 * (hi - lo)
            ax.set_ylim(lo - pad, hi + pad)
        ax.set(xlabel=xlabel, ylabel="Metric value")
        if twin:
            self.objective_ax_.set_ylabel(_label(self.objective_name))
        title = name if name is not None else self.name
        if title is not None:
            ax.set_title(title)
        ax.grid(True, alpha=0.3)
        handles, labels = [], []
        for a in {id(ax): ax, id(self.objective_ax_): self.objective_ax_}.values():
            h, lab = a.get_legend_handles_labels()
            handles += h
            labels += lab
        if handles:
            where = (
                {"loc": "center left", "bbox_to_anchor": (1.16 if twin else 1.02, 0.5)}
                if self._own_figure
                else {"loc": "best"}
            )
            ax.legend(handles, labels, fontsize="small", framealpha=0.9, **where)
        if despine and not twin:
            for side in ("top", "right"):
                ax.spines[side].set_visible(False)
