// Draws the dashboard's bar charts with ECharts from the JSON the page embeds.
(function () {
  var data = JSON.parse(document.getElementById("chart-data").textContent);
  ["state", "category", "department"].forEach(function (key) {
    var el = document.getElementById("chart-" + key);
    if (!el || !window.echarts) return;
    var rows = data[key];
    var chart = echarts.init(el);
    chart.setOption({
      grid: { left: 110, right: 20, top: 10, bottom: 20 },
      xAxis: { type: "value" },
      yAxis: { type: "category", inverse: true, data: rows.map(function (r) { return r[0]; }) },
      series: [{ type: "bar", data: rows.map(function (r) { return r[1]; }), itemStyle: { color: "#1d6fb8" } }],
      tooltip: {},
    });
    window.addEventListener("resize", function () { chart.resize(); });
  });
})();
