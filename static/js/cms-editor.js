/* Wagtail's page editor (/cms/), added by blogs/wagtail_hooks.py.

   Wagtail 8 autosaves a page in the background: a new page is first saved to the "add" address
   (which creates it), then to its edit page. Its own "Save draft" and "Publish" buttons submit the
   same form at once, even while an autosave is on its way, so both reach the "add" address: the
   page is created twice over, and the second creation fails ("the slug is already in use", or a
   server error when the two cross). Here a submission waits for the autosave on its way, then
   goes where the autosave left the form (the edit page), and autosave stops for good. */
(function () {
  "use strict";

  var form = document.querySelector("form[data-edit-form][data-controller~='w-autosave']");
  if (!form) {
    return;
  }
  var saving = false;
  var held = null; // the button of a submission waiting for the autosave
  var waitAtMostMs = 15000; // an autosave always ends in success or error; never wait forever

  function stopAutosave() {
    form.setAttribute("data-w-autosave-active-value", "false");
  }

  function send() {
    var button = held;
    held = null;
    if (!button) {
      return;
    }
    // Wagtail greys the clicked button out ("Publishing…"): a disabled button is left out of the
    // submitted fields, so its name (action-publish, …) goes in a hidden field of its own.
    if (button.name) {
      var field = document.createElement("input");
      field.type = "hidden";
      field.name = button.name;
      field.value = button.value;
      form.appendChild(field);
    }
    form.requestSubmit();
  }

  function settled() {
    saving = false;
    // An autosave asked for meanwhile starts right after this one's end: let it say so first.
    window.setTimeout(function () {
      if (!saving) {
        send();
      }
    }, 0);
  }

  form.addEventListener("w-autosave:save", function (event) {
    if (!event.defaultPrevented) {
      saving = true;
    }
  });
  form.addEventListener("w-autosave:success", settled);
  form.addEventListener("w-autosave:error", settled);
  form.addEventListener("submit", function (event) {
    stopAutosave();
    if (saving) {
      event.preventDefault();
      held = event.submitter || form.querySelector("button[type=submit]");
      window.setTimeout(function () {
        saving = false;
        send();
      }, waitAtMostMs);
    }
  }, true);
})();
