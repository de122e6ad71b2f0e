// Click-to-enlarge: book.css scales every figure to the content column (360 px on a phone); a click on a figure
// opens the full-size image in its own view, where it can be zoomed. Added by booktools.sphinxext.
document.addEventListener("DOMContentLoaded", () => {
  for (const img of document.querySelectorAll("div.cell_output img, figure img")) {
    const src = img.getAttribute("src") || "";
    if (!src || src.startsWith("data:") || img.closest("a")) continue;
    const link = document.createElement("a");
    link.href = src;
    link.className = "book-enlarge";
    link.title = "Open the full-size figure";
    img.parentNode.insertBefore(link, img);
    link.appendChild(img);
  }
});
