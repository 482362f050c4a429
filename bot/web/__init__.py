"""The embeddable web chat widget (widget.js, widget.css), its demo page and the server for both."""
