// The intake page's suggestion panel (filled in by htmx): a click on a suggested answer or
// category puts its id into the form field the button names (data-fill). One listener on
// the document, so the buttons of every later suggestion work too.
document.addEventListener("click", function (event) {
  var button = event.target.closest("button[data-fill]");
  if (!button) return;
  document.getElementById(button.dataset.fill).value = button.dataset.id;
  if (button.classList.contains("use-article")) {
    document.querySelectorAll(".use-article").forEach(function (b) { b.classList.add("outline"); });
    button.classList.remove("outline");
  }
});
