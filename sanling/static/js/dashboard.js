// The dashboard's two charts: the choropleth of child regions (click to drill down) and the monthly trend.
(function () {
  const COLOURS = { blue: "#1d6fd8", yellow: "#e0b000", orange: "#ee7a1a", red: "#d63b30", none: "#c3c9d3" };
  const mapData = JSON.parse(document.getElementById("map-data").textContent);
  const trend = JSON.parse(document.getElementById("trend-data").textContent);
  const mapEl = document.getElementById("map");
  const period = mapEl.dataset.period;

  if (!mapData.features.length) {
    mapEl.hidden = true;
    document.getElementById("map-empty").hidden = false;
  } else {
    const name = "region-" + mapEl.dataset.region;
    echarts.registerMap(name, mapData);
    const chart = echarts.init(mapEl);
    chart.setOption({
      tooltip: {
        trigger: "item",
        formatter: (p) => p.data ? `${p.name}<br>达标率 ${p.data.rate === null ? "—" : p.data.rate + "%"}` : p.name,
      },
      series: [{
        type: "map", map: name, roam: true, selectedMode: false,
        label: { show: mapData.features.length <= 30, fontSize: 11 },
        emphasis: { label: { show: true } },
        data: mapData.features.map((f) => ({
          name: f.properties.name, code: f.properties.code, rate: f.properties.rate,
          itemStyle: { areaColor: COLOURS[f.properties.level] },
        })),
      }],
    });
    chart.on("click", (p) => {
      if (p.data && p.data.code) window.location.href = `/dashboard/${p.data.code}/?period=${period}`;
    });
    window.addEventListener("resize", () => chart.resize());
    window.sanlingMap = chart;  // for the browser tests, which click real areas
    mapEl.dataset.ready = "true";
  }

  const trendChart = echarts.init(document.getElementById("trend"));
  trendChart.setOption({
    tooltip: { trigger: "axis" },
    legend: { data: ["村社区", "企事业"] },
    grid: { left: 40, right: 16, top: 36, bottom: 28 },
    xAxis: { type: "category", data: trend.months },
    yAxis: { type: "value", min: (v) => Math.max(0, Math.floor(v.min - 2)), max: 100 },
    series: [
      { name: "村社区", type: "line", data: trend.village, connectNulls: false },
      { name: "企事业", type: "line", data: trend.unit, connectNulls: false },
    ],
  });
  window.addEventListener("resize", () => trendChart.resize());
})();
