//! QR codes as inline SVG: one path of unit squares, no image file and no
//! style attribute, so the page's Content-Security-Policy allows it.

use std::fmt::Write;

use maud::{Markup, PreEscaped};
use qrcode::{Color, EcLevel, QrCode};

/// The light margin around a QR code that readers need, in modules.
const QUIET_ZONE: usize = 4;

/// `text` as a QR code (error correction M: a card may get worn), drawn as
/// an `<svg>` with one `<path>` whose subpaths are the dark modules, each
/// `M{x} {y}h1v1h-1z` in module units. `None` if the text is too long for
/// any QR code.
pub fn svg(text: &str, label: &str) -> Option<Markup> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).ok()?;
    let width = code.width();
    let size = width + 2 * QUIET_ZONE;
    let mut path = String::new();
    for (at, color) in code.to_colors().into_iter().enumerate() {
        if color == Color::Dark {
            let (x, y) = (at % width + QUIET_ZONE, at / width + QUIET_ZONE);
            // Writing to a String cannot fail.
            let _ = write!(path, "M{x} {y}h1v1h-1z");
        }
    }
    // Built from numbers only; the label is escaped by maud below.
    let drawing = format!("<rect width=\"{size}\" height=\"{size}\" fill=\"#fff\"/><path fill=\"#000\" d=\"{path}\"/>");
    Some(maud::html! {
        svg.qr xmlns="http://www.w3.org/2000/svg" viewBox={ "0 0 " (size) " " (size) } shape-rendering="crispEdges"
            role="img" aria-label=(label) {
            (PreEscaped(drawing))
        }
    })
}
