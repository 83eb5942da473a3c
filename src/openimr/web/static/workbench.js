// Progressive enhancement only: every link and form works without this file.
// Following a criterion's source link scrolls the record pane to the marked words and moves focus there,
// so keyboard and screen-reader users land on the evidence too.
(function () {
  "use strict";
  function show(id) {
    var target = document.getElementById(id);
    if (!target) { return; }
    var mark = target.tagName === "MARK" ? target : target.nextElementSibling;
    document.querySelectorAll("mark.focused").forEach(function (m) { m.classList.remove("focused"); });
    if (mark) { mark.classList.add("focused"); }
    target.scrollIntoView({ block: "center" });
    target.focus({ preventScroll: true });
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest("a.source-link");
    if (!link) { return; }
    event.preventDefault();
    var id = link.getAttribute("href").slice(1);
    history.replaceState(null, "", "#" + id);
    show(id);
  });
  if (location.hash.indexOf("#src-") === 0) {
    window.addEventListener("load", function () { show(location.hash.slice(1)); });
  }
})();
