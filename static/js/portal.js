// Progressive enhancement only: every link and form works without this file.
(function () {
  "use strict";
  // After HTMX swaps a region, move focus to its heading and announce it.
  document.addEventListener("htmx:afterSettle", function (event) {
    var region = event.detail.target;
    if (!region) { return; }
    var heading = region.querySelector("[data-focus-after-swap]") || region.querySelector("h2, h1");
    if (heading) {
      if (!heading.hasAttribute("tabindex")) { heading.setAttribute("tabindex", "-1"); }
      heading.focus();
      var announcer = document.getElementById("announcer");
      if (announcer) { announcer.textContent = heading.textContent.trim(); }
    }
  });
})();
