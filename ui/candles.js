// Entry of the ui-kis-candles bundle: the UMD global is the widget's type, as Dashboard 2.0 expects.
export { default as KisCandles } from './components/KisCandles.vue'
