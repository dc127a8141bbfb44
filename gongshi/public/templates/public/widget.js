{% autoescape off %}/* Gongshi widget for project {{ code }}: inserts a live status card (iframe) where this script tag is. */
(function () {
  var s = document.currentScript, f = document.createElement("iframe");
  f.src = "{{ src|escapejs }}"; f.title = "{{ title|escapejs }}"; f.loading = "lazy";
  f.style.cssText = "width:100%;max-width:420px;height:420px;border:1px solid #b1b4b6;";
  s.parentNode.insertBefore(f, s.nextSibling);
})();
{% endautoescape %}
