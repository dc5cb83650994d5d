/*
 * The console's only hand-written script (no build step): draws the charts from the JSON the page
 * embeds and, on the flows view, keeps counts, charts and the lag table live from the server-sent
 * events of /flows/stream. Text only ever goes in through textContent.
 */
(function () {
  'use strict';

  var COLORS = [
    '#2563eb',
    '#16a34a',
    '#d97706',
    '#dc2626',
    '#7c3aed',
    '#0891b2',
    '#db2777',
    '#65a30d',
    '#475569',
    '#ea580c',
  ];

  /** The same colour for a channel or recipient on every page, whatever else is in the chart. */
  function colorOf(name) {
    var h = 0;
    for (var i = 0; i < name.length; i++) h = (h * 31 + name.charCodeAt(i)) >>> 0;
    return COLORS[h % COLORS.length];
  }

  function dataOf(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  function label(iso, stepSeconds) {
    var d = new Date(iso);
    var p = function (n) {
      return String(n).padStart(2, '0');
    };
    var time = p(d.getHours()) + ':' + p(d.getMinutes());
    return stepSeconds >= 86400 / 4 ? p(d.getDate()) + '/' + p(d.getMonth() + 1) + ' ' + time : time;
  }

  function datasets(series) {
    return Object.keys(series).map(function (name, i) {
      return {
        label: name,
        data: series[name],
        borderColor: colorOf(name),
        backgroundColor: colorOf(name),
        borderWidth: 2,
        pointRadius: 0,
        tension: 0.25,
      };
    });
  }

  function lineChart(id, rates, series) {
    var canvas = document.getElementById(id);
    if (!canvas || !window.Chart) return null;
    var step =
      rates.buckets.length > 1 ? (new Date(rates.buckets[1]) - new Date(rates.buckets[0])) / 1000 : 60;
    return new window.Chart(canvas, {
      type: 'line',
      data: {
        labels: rates.buckets.map(function (b) {
          return label(b, step);
        }),
        datasets: datasets(series),
      },
      options: {
        animation: false,
        maintainAspectRatio: false,
        interaction: { mode: 'index', intersect: false },
        scales: { y: { beginAtZero: true, title: { display: true, text: 'per minute' } } },
        plugins: { legend: { position: 'bottom', labels: { boxWidth: 12 } } },
      },
    });
  }

  function updateChart(chart, rates, series) {
    if (!chart) return;
    var step =
      rates.buckets.length > 1 ? (new Date(rates.buckets[1]) - new Date(rates.buckets[0])) / 1000 : 60;
    chart.data.labels = rates.buckets.map(function (b) {
      return label(b, step);
    });
    var fresh = datasets(series);
    chart.data.datasets = fresh.map(function (d) {
      var old = chart.data.datasets.find(function (o) {
        return o.label === d.label;
      });
      if (old) {
        old.data = d.data;
        return old;
      }
      return d;
    });
    chart.update('none');
  }

  function age(seconds) {
    if (seconds === null || seconds === undefined) return '–';
    if (seconds < 120) return Math.round(seconds) + ' s';
    if (seconds < 7200) return Math.round(seconds / 60) + ' min';
    if (seconds < 172800) return Math.round(seconds / 3600) + ' h';
    return Math.round(seconds / 86400) + ' d';
  }

  function time(iso) {
    return iso ? iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '–';
  }

  function renderLag(lag) {
    var body = document.querySelector('#lag tbody');
    if (!body) return;
    body.replaceChildren();
    if (!lag.length) {
      var tr = document.createElement('tr');
      var td = document.createElement('td');
      td.colSpan = 5;
      td.className = 'muted';
      td.textContent = 'nothing pending';
      tr.appendChild(td);
      body.appendChild(tr);
      return;
    }
    lag.forEach(function (l) {
      var tr = document.createElement('tr');
      [
        [l.recipientId, ''],
        [l.pending, 'num'],
        [l.failing, 'num'],
        [time(l.oldestPendingAt), ''],
        [age(l.oldestPendingAgeSeconds), 'num'],
      ].forEach(function (c) {
        var td = document.createElement('td');
        td.textContent = String(c[0]);
        if (c[1]) td.className = c[1];
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
  }

  function applyFlows(payload, charts) {
    Object.keys(payload.counts).forEach(function (key) {
      document.querySelectorAll('[data-count="' + CSS.escape(key) + '"]').forEach(function (el) {
        var text = String(payload.counts[key]);
        if (el.textContent !== text) {
          el.textContent = text;
          el.classList.remove('changed');
          void el.offsetWidth;
          el.classList.add('changed');
        }
      });
    });
    updateChart(charts.ingress, payload.rates, payload.rates.ingress);
    updateChart(charts.recipients, payload.rates, payload.rates.recipients);
    renderLag(payload.lag);
    var at = document.getElementById('flows-at');
    if (at) at.textContent = time(payload.at);
  }

  function flowsPage() {
    var data = dataOf('flows-data');
    if (!data) return;
    var charts = {
      ingress: lineChart('chart-ingress', data.rates, data.rates.ingress),
      recipients: lineChart('chart-recipients', data.rates, data.rates.recipients),
    };
    var status = document.getElementById('live-status');
    var source = new EventSource(data.stream);
    window.consoleFlows = { updates: 0, source: source };
    source.addEventListener('flows', function (e) {
      applyFlows(JSON.parse(e.data), charts);
      window.consoleFlows.updates += 1;
      if (status) status.classList.remove('offline');
    });
    source.addEventListener('error', function () {
      if (status) status.classList.add('offline');
    });
    // A custom period's "from"/"to" only matter when custom is chosen.
    var form = document.querySelector('form.filters');
    if (form) {
      var select = form.querySelector('select[name=period]');
      var pad = function (n) {
        return String(n).padStart(2, '0');
      };
      var localValue = function (d) {
        return (
          d.getFullYear() +
          '-' +
          pad(d.getMonth() + 1) +
          '-' +
          pad(d.getDate()) +
          'T' +
          pad(d.getHours()) +
          ':' +
          pad(d.getMinutes())
        );
      };
      form.querySelectorAll('input[data-for]').forEach(function (i) {
        var hidden = form.querySelector('input[type=hidden][name=' + i.dataset.for + ']');
        i.value = localValue(new Date(i.dataset.utc));
        i.addEventListener('change', function () {
          if (i.value) hidden.value = new Date(i.value).toISOString();
        });
      });
      var sync = function () {
        var custom = select.value === 'custom';
        form
          .querySelectorAll('input[data-for], input[type=hidden][name=from], input[type=hidden][name=to]')
          .forEach(function (i) {
            i.disabled = !custom;
          });
      };
      select.addEventListener('change', sync);
      sync();
    }
  }

  function reportPage() {
    var data = dataOf('report-data');
    if (!data || !window.Chart) return;
    var trend = document.getElementById('chart-report-trend');
    if (trend) {
      new window.Chart(trend, {
        type: 'bar',
        data: {
          labels: data.trend.months,
          datasets: [
            { label: 'notifications', data: data.trend.notifications, backgroundColor: COLORS[0] },
            { label: 'screened', data: data.trend.screened, backgroundColor: COLORS[1] },
            { label: 'under 90 days', data: data.trend.under90Days, backgroundColor: COLORS[2] },
          ],
        },
        options: {
          animation: false,
          maintainAspectRatio: false,
          scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
          plugins: { legend: { position: 'bottom' } },
        },
      });
    }
    var breakdown = document.getElementById('chart-report-breakdown');
    if (breakdown) {
      if (!Object.keys(data.problems).length && !Object.keys(data.referrals).length) {
        var none = document.createElement('p');
        none.className = 'muted';
        none.textContent = 'No problems or referrals registered for this month.';
        breakdown.parentNode.replaceWith(none);
        return;
      }
      var keys = Object.keys(data.problems)
        .map(function (k) {
          return 'problem: ' + k;
        })
        .concat(
          Object.keys(data.referrals).map(function (k) {
            return 'referral: ' + k;
          }),
        );
      var values = Object.values(data.problems).concat(Object.values(data.referrals));
      new window.Chart(breakdown, {
        type: 'bar',
        data: {
          labels: keys,
          datasets: [
            {
              label: 'cases',
              data: values,
              backgroundColor: keys.map(function (k) {
                return k.indexOf('problem') === 0 ? COLORS[3] : COLORS[4];
              }),
            },
          ],
        },
        options: {
          indexAxis: 'y',
          animation: false,
          maintainAspectRatio: false,
          scales: { x: { beginAtZero: true, ticks: { precision: 0 } } },
          plugins: { legend: { display: false } },
        },
      });
    }
  }

  document.addEventListener('DOMContentLoaded', function () {
    flowsPage();
    reportPage();
  });
})();
