// Drag and drop on the chair's agenda grid: dropping a block on another room or time fills the block's own move
// form (day, room, start) and sends it, so the server checks and answers exactly as when the form is used by hand.
// Without JavaScript, or with the keyboard, the form in each block does the same.
(function () {
  "use strict";

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function setUp(grid) {
    var start = parseInt(grid.getAttribute("data-start-minute"), 10);
    var rowMinutes = parseInt(grid.getAttribute("data-row-minutes"), 10);
    var step = parseInt(grid.getAttribute("data-step"), 10) || 15;
    var heads = Array.prototype.slice.call(grid.querySelectorAll(".grid-head[data-room-id]"));
    var dragged = null;

    grid.querySelectorAll(".grid-block").forEach(function (block) {
      if (!block.querySelector("form[data-move-form]")) { return; }
      block.setAttribute("draggable", "true");
      block.addEventListener("dragstart", function (event) {
        dragged = block;
        block.classList.add("is-dragging");
        event.dataTransfer.effectAllowed = "move";
        event.dataTransfer.setData("text/plain", block.getAttribute("data-session-id"));
      });
      block.addEventListener("dragend", function () {
        block.classList.remove("is-dragging");
        grid.classList.remove("is-drop-target");
      });
    });

    grid.addEventListener("dragover", function (event) {
      if (!dragged) { return; }
      event.preventDefault();
      grid.classList.add("is-drop-target");
    });
    grid.addEventListener("dragleave", function (event) {
      if (event.target === grid) { grid.classList.remove("is-drop-target"); }
    });
    grid.addEventListener("drop", function (event) {
      if (!dragged) { return; }
      event.preventDefault();
      var form = dragged.querySelector("form[data-move-form]");
      var room = heads.filter(function (head) {
        var box = head.getBoundingClientRect();
        return event.clientX >= box.left && event.clientX <= box.right;
      })[0];
      if (!room || !form) { dragged = null; return; }
      // Rows have one fixed height below the header; the row under the pointer gives the minute, rounded to the step.
      var header = heads[0].getBoundingClientRect();
      var sample = grid.querySelector(".grid-time");
      var rowHeight = sample ? sample.getBoundingClientRect().height / 6 : 8;
      var offset = Math.max(0, event.clientY - header.bottom);
      var minute = start + Math.round((offset / rowHeight) * rowMinutes / step) * step;
      form.querySelector("select[name=room_id]").value = room.getAttribute("data-room-id");
      form.querySelector("input[name=start]").value = pad(Math.floor(minute / 60)) + ":" + pad(minute % 60);
      dragged = null;
      // Sent once the drag has ended, so that the browser finishes the drop before it leaves the page.
      window.setTimeout(function () { form.requestSubmit ? form.requestSubmit() : form.submit(); }, 0);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-grid]").forEach(setUp);
  });
})();
