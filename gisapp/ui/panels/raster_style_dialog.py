"""A raster's colours: RGB or one band through a colour ramp, between a minimum and a maximum."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QPushButton,
    QWidget,
)

from gisapp.core.model.raster_layer import RAMPS, RasterLayer, RasterStyle
from gisapp.ui.plain import plain_label

LIMIT_RANGE = 1e12


class RasterStyleDialog(QDialog):
    """Edits a copy of the layer's style; :meth:`style` is the result (applied by the caller)."""

    def __init__(self, layer: RasterLayer, lang: str = "en", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("RasterStyleDialog")
        self.layer = layer
        self.setWindowTitle(self.tr("Raster style: {layer}").format(layer=layer.title(lang)))
        self.mode_combo = QComboBox(self)
        if layer.info.count >= 3:
            self.mode_combo.addItem(self.tr("Red, green, blue (bands 1-3)"), "rgb")
        self.mode_combo.addItem(self.tr("One band with a colour ramp"), "ramp")
        self.band_combo = QComboBox(self)
        for band in range(1, layer.info.count + 1):
            self.band_combo.addItem(layer.band_name(band), band)  # a file's band name: item text is plain
        self.ramp_combo = QComboBox(self)
        for ramp in RAMPS:
            self.ramp_combo.addItem(ramp, ramp)
        self.vmin_spin, self.vmax_spin = QDoubleSpinBox(self), QDoubleSpinBox(self)
        for spin in (self.vmin_spin, self.vmax_spin):
            spin.setRange(-LIMIT_RANGE, LIMIT_RANGE)
            spin.setDecimals(4)
        self.default_button = QPushButton(self.tr("Default stretch (2%-98%)"), self)
        self.default_button.clicked.connect(self._default_limits)
        self.message = plain_label(parent=self)
        self.message.setStyleSheet("color: #b00020")
        form = QFormLayout(self)
        form.addRow(self.tr("Render as"), self.mode_combo)
        form.addRow(self.tr("Band"), self.band_combo)
        form.addRow(self.tr("Colour ramp"), self.ramp_combo)
        form.addRow(self.tr("Minimum"), self.vmin_spin)
        form.addRow(self.tr("Maximum"), self.vmax_spin)
        form.addRow("", self.default_button)
        form.addRow(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel, parent=self)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        style = layer.style
        self.mode_combo.setCurrentIndex(max(0, self.mode_combo.findData(style.mode)))
        self.band_combo.setCurrentIndex(max(0, self.band_combo.findData(style.band)))
        if self.ramp_combo.findData(style.ramp) < 0:
            self.ramp_combo.addItem(style.ramp, style.ramp)
        self.ramp_combo.setCurrentIndex(self.ramp_combo.findData(style.ramp))
        low, high = layer.limits()
        self.vmin_spin.setValue(low)
        self.vmax_spin.setValue(high)
        self.mode_combo.currentIndexChanged.connect(self._sync)
        self.band_combo.currentIndexChanged.connect(self._default_limits)
        self._sync()

    def _sync(self) -> None:
        ramp = self.mode_combo.currentData() == "ramp"
        for widget in (self.band_combo, self.ramp_combo, self.vmin_spin, self.vmax_spin, self.default_button):
            widget.setEnabled(ramp)

    def _default_limits(self) -> None:
        band = int(self.band_combo.currentData() or 1)
        low, high = self.layer.info.stretch[band - 1]
        self.vmin_spin.setValue(low)
        self.vmax_spin.setValue(high)

    def style(self) -> RasterStyle:
        """The chosen style (ValueError if the limits are the wrong way round)."""
        band = int(self.band_combo.currentData() or 1)
        low, high = self.vmin_spin.value(), self.vmax_spin.value()
        default = self.layer.info.stretch[band - 1]
        limits = {} if (low, high) == tuple(round(v, 4) for v in default) else {"vmin": low, "vmax": high}
        return RasterStyle.from_dict({"mode": self.mode_combo.currentData(), "band": band,
                                      "ramp": self.ramp_combo.currentData(), **limits})

    def _accept(self) -> None:
        try:
            self.style()
        except ValueError:
            self.message.setText(self.tr("The minimum must be below the maximum."))
            return
        self.accept()
