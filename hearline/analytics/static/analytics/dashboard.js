// Draws the analytics dashboard's charts with ECharts from the JSON the page embeds; a click
// on a point or bar opens the cases behind it. Tooltips are drawn on the canvas (richText):
// ECharts' HTML tooltips carry inline styles, which the Content-Security-Policy refuses.
(function () {
  var node = document.getElementById("chart-data");
  if (!node || !window.echarts) return;
  var data = JSON.parse(node.textContent);
  var trendEl = document.getElementById("chart-trend");
  var drill = trendEl ? trendEl.dataset.drill : "";
  function open(query) { if (drill && query) window.location.href = drill + "?" + query; }
  function percent(v) { return v === null ? null : Math.round(v * 1000) / 10; }

  if (trendEl) {
    var t = data.trend;
    var trend = echarts.init(trendEl);
    trend.setOption({
      tooltip: { trigger: "axis", renderMode: "richText" },
      legend: { data: [trendEl.dataset.volume, trendEl.dataset.satisfaction, trendEl.dataset.response] },
      grid: { left: 50, right: 50, top: 40, bottom: 30 },
      xAxis: { type: "category", data: t.labels },
      yAxis: [{ type: "value" }, { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } }],
      series: [
        { name: trendEl.dataset.volume, type: "bar", data: t.volume, itemStyle: { color: "#1d6fb8" } },
        { name: trendEl.dataset.satisfaction, type: "line", yAxisIndex: 1, data: t.satisfaction.map(percent), connectNulls: true },
        { name: trendEl.dataset.response, type: "line", yAxisIndex: 1, data: t.response.map(percent), connectNulls: true },
      ],
    });
    trend.on("click", function (p) { open(t.links[p.dataIndex]); });
    window.addEventListener("resize", function () { trend.resize(); });
  }

  var rankEl = document.getElementById("chart-ranking");
  if (rankEl) {
    var rows = data.ranking;
    var rank = echarts.init(rankEl);
    rank.setOption({
      tooltip: { renderMode: "richText" },
      grid: { left: 140, right: 30, top: 10, bottom: 20 },
      xAxis: { type: "value", min: 0, max: 100 },
      yAxis: { type: "category", inverse: true, data: rows.map(function (r) { return r[0]; }) },
      series: [{ type: "bar", data: rows.map(function (r) { return r[1]; }), itemStyle: { color: "#2f8f5b" }, label: { show: true, position: "right" } }],
    });
    rank.on("click", function (p) { open(rows[p.dataIndex][2]); });
    window.addEventListener("resize", function () { rank.resize(); });
  }
})();
