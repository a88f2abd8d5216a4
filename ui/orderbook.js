// Entry of the ui-kis-orderbook bundle: the UMD global is the widget's type, as Dashboard 2.0 expects.
export { default as KisOrderBook } from './components/KisOrderBook.vue'
