//! SVG charts (work in progress).
