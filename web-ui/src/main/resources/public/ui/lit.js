// The one place that says where Lit is served; every component imports it from here.
export * from '/vendor/lit/index.js';
