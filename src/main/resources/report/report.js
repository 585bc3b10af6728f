
(function () {
  'use strict';
  var boxes = Array.prototype.slice.call(document.querySelectorAll('input[data-filter]'));
  function each(selector, action) {
    Array.prototype.forEach.call(document.querySelectorAll(selector), action);
  }
  function apply() {
    var shown = {};
    boxes.forEach(function (box) { shown[box.value] = box.checked; });
    each('[data-status]', function (element) {
      element.hidden = !shown[element.getAttribute('data-status')];
      var video = element.hidden && element.querySelector('video');
      if (video) { video.pause(); }
    });
    each('.group', function (group) { group.hidden = !group.querySelector('.tile:not([hidden])'); });
    each('[data-section]', function (section) {
      var note = section.querySelector('.filtered-out');
      if (note) {
        note.hidden = !section.querySelector('[data-status]') || !!section.querySelector('[data-status]:not([hidden])');
      }
    });
  }
  boxes.forEach(function (box) { box.addEventListener('change', apply); });
  document.getElementById('show-all').addEventListener('click', function () {
    boxes.forEach(function (box) { box.checked = true; });
    apply();
  });
  apply();
})();
