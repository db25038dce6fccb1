// The dashboard's two charts: the choropleth of child regions (click to drill down) and the monthly trend.
// Data comes from json_script blocks; anything shown as HTML (tooltips) is escaped first, and tooltips carry
// no style attributes (the Content-Security-Policy refuses them). Legends and labels are drawn on the canvas.
(function () {
  const COLOURS = { blue: "#1d6fd8", yellow: "#e0b000", orange: "#ee7a1a", red: "#d63b30", ok: "#2e9d57", none: "#c3c9d3" };
  const GROUPS = { village: "村社区", unit: "企事业" };
  const mapData = JSON.parse(document.getElementById("map-data").textContent);
  const trend = JSON.parse(document.getElementById("trend-data").textContent);
  const mapEl = document.getElementById("map");
  const period = mapEl.dataset.period;

  const escapeHtml = window.Sanling.escapeHtml;  // ECharts inserts tooltip strings as HTML

  function tooltip(p) {
    if (!p.data) return escapeHtml(p.name);
    const rate = p.data.rate === null ? "—" : p.data.rate + "%";
    return `${escapeHtml(p.name)}<br>${escapeHtml(p.data.group || "")}达标率 ${escapeHtml(rate)}`;
  }

  // The trend's own tooltip: ECharts' default one styles its rows with style attributes.
  function trendTooltip(points) {
    const rows = points.map((p) => `${escapeHtml(p.seriesName)} ${p.value === null || p.value === undefined ? "—" : escapeHtml(p.value) + "%"}`);
    return [escapeHtml(points.length ? points[0].axisValueLabel : ""), ...rows].join("<br>");
  }

  if (!mapData.features.length) {
    mapEl.hidden = true;
    document.getElementById("map-empty").hidden = false;
  } else {
    const name = "region-" + mapEl.dataset.region;
    echarts.registerMap(name, mapData);
    const chart = echarts.init(mapEl);
    chart.setOption({
      tooltip: { trigger: "item", formatter: tooltip },
      series: [{
        type: "map", map: name, roam: true, selectedMode: false,
        label: { show: mapData.features.length <= 60, fontSize: 11 },
        labelLayout: { hideOverlap: true },
        emphasis: { label: { show: true } },
        data: mapData.features.map((f) => ({
          name: f.properties.name, code: f.properties.code, rate: f.properties.rate, group: f.properties.group,
          itemStyle: { areaColor: COLOURS[f.properties.level] },
          // Hovering keeps the area's own warning colour and outlines it: a hover colour of its own would
          // read as one of the four warning levels.
          emphasis: { itemStyle: { areaColor: COLOURS[f.properties.level], borderColor: "#1f2633", borderWidth: 2 } },
        })),
      }],
    });
    chart.on("click", (p) => {
      if (p.data && p.data.code) {
        window.location.href = `/dashboard/${encodeURIComponent(p.data.code)}/?period=${encodeURIComponent(period)}`;
      }
    });
    window.addEventListener("resize", () => chart.resize());
    window.sanlingMap = chart;  // for the browser tests, which click real areas
    mapEl.dataset.ready = "true";
  }

  const series = ["village", "unit"].filter((group) => group in trend).map((group) => (
    { name: GROUPS[group], type: "line", data: trend[group], connectNulls: false }
  ));
  const trendChart = echarts.init(document.getElementById("trend"));
  trendChart.setOption({
    tooltip: { trigger: "axis", formatter: trendTooltip },
    legend: { data: series.map((s) => s.name) },
    grid: { left: 40, right: 16, top: 36, bottom: 28 },
    xAxis: { type: "category", data: trend.months },
    yAxis: { type: "value", min: (v) => Math.max(0, Math.floor(v.min - 2)), max: 100 },
    series: series,
  });
  window.addEventListener("resize", () => trendChart.resize());
  window.sanlingTrend = trendChart;  // for the browser tests
})();
