//! The fonts shipped with Homeward (SIL Open Font License, `fonts/OFL.txt`),
//! compiled in: Noto Sans for Latin text, Noto Sans Arabic for Arabic. The
//! PDF uses them all; an HTML page in a right-to-left language embeds the
//! Arabic faces, so a reader without an Arabic font still sees its script
//! (Latin pages keep the reader's system fonts).

use base64::Engine;

/// Every face, Latin first (the PDF's fallback order).
pub static FACES: [&[u8]; 4] = [
    include_bytes!("../../fonts/NotoSans-Regular.ttf"),
    include_bytes!("../../fonts/NotoSans-Bold.ttf"),
    include_bytes!("../../fonts/NotoSansArabic-Regular.ttf"),
    include_bytes!("../../fonts/NotoSansArabic-Bold.ttf"),
];

/// The family name the HTML pages give the embedded Arabic faces.
pub const ARABIC_FAMILY: &str = "Noto Sans Arabic";

/// The `@font-face` rules a page of direction `dir` embeds: the Arabic
/// faces as data URLs for `rtl`, nothing for `ltr`.
pub fn css_for(dir: &str) -> String {
    if dir != "rtl" {
        return String::new();
    }
    let face = |bytes: &[u8], weight: u16| {
        format!(
            "@font-face {{ font-family: \"{ARABIC_FAMILY}\"; font-weight: {weight}; font-style: normal; \
             src: url(data:font/ttf;base64,{}) format(\"truetype\"); }}\n",
            base64::engine::general_purpose::STANDARD.encode(bytes)
        )
    };
    let mut css = face(FACES[2], 400);
    css.push_str(&face(FACES[3], 700));
    css.push_str(&format!(
        ":root {{ --font: \"{ARABIC_FAMILY}\", system-ui, sans-serif; }}\n"
    ));
    css
}
