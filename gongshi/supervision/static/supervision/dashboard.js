// Draws the dashboard's charts from the JSON the page embeds; the same numbers are in the
// tables below each chart, so nothing depends on this script.
(function () {
  "use strict";
  var source = document.getElementById("chart-data");
  if (!source || !window.echarts) { return; }
  var data = JSON.parse(source.textContent);
  var colours = ["#1d4f91", "#00703c", "#b45f06", "#d4351c", "#505a5f", "#6f72af"];

  function bar(id, pairs, drill) {
    var el = document.getElementById(id);
    if (!el) { return; }
    var chart = echarts.init(el, null, { renderer: "svg" });
    chart.setOption({
      color: colours,
      grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: pairs.map(function (p) { return p[0]; }), inverse: true },
      series: [{ type: "bar", data: pairs.map(function (p) { return p[1]; }), label: { show: true, position: "right" } }],
      tooltip: { trigger: "axis", renderMode: "richText" },
      animation: false
    });
    if (drill) {
      chart.on("click", function (params) {
        var link = drill[params.dataIndex];
        if (link) { window.location.href = link; }
      });
    }
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function links(id) {
    return Array.prototype.map.call(document.querySelectorAll("#" + id + " a[data-drill]"), function (a) { return a.href; });
  }

  bar("chart-stage", data.stage, links("table-stage"));
  bar("chart-type", data.type, links("table-type"));
  bar("chart-completeness", data.completeness, links("table-completeness"));
  bar("chart-timeliness", data.timeliness, null);

  var trends = document.getElementById("chart-trends");
  if (trends) {
    var chart = echarts.init(trends, null, { renderer: "svg" });
    chart.setOption({
      color: colours,
      grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: data.trends.map(function (t) { return t.month; }) },
      yAxis: { type: "value", minInterval: 1 },
      series: [
        { name: trends.dataset.publications, type: "line", data: data.trends.map(function (t) { return t.publications; }) },
        { name: trends.dataset.questions, type: "line", data: data.trends.map(function (t) { return t.questions; }) }
      ],
      tooltip: { trigger: "axis", renderMode: "richText" },
      animation: false
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }
})();
