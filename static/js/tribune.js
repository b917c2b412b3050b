/* Tribune's own script. The Content-Security-Policy allows scripts from /static/ only: no inline
   script, no event-handler attribute, no eval (htmx's trigger filters `[...]` would need eval). */
(function () {
  "use strict";

  // The bell asks for its count again every minute while the tab is visible, and at once when the
  // member comes back to the tab (templates/community/includes/bell.html listens for this event).
  function refreshBell() {
    if (document.visibilityState === "visible" && window.htmx && document.getElementById("bell")) {
      window.htmx.trigger(document.body, "tribune:bell");
    }
  }

  document.addEventListener("visibilitychange", refreshBell);
  window.setInterval(refreshBell, 60000);
})();
