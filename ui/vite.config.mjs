// Builds one UMD bundle per Dashboard 2.0 widget into resources/ (Node-RED serves it at
// /resources/<package>/<file>). Run through scripts/build-widgets.js: `npm run build:widgets`.
// Vue is not bundled: the dashboard page provides it as the global `Vue`.
import vue from '@vitejs/plugin-vue'
import { defineConfig } from 'vite'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('.', import.meta.url))

/** Put the bundle's CSS into the JS (one file per widget), added to the page once as a <style>. */
function cssIntoJs (widget) {
    return {
        name: 'kis-css-into-js',
        apply: 'build',
        enforce: 'post',
        generateBundle (_options, bundle) {
            const cssFiles = Object.keys(bundle).filter((f) => f.endsWith('.css'))
            const css = cssFiles.map((f) => bundle[f].source).join('\n')
            for (const f of cssFiles) delete bundle[f]
            const js = Object.values(bundle).find((c) => c.type === 'chunk' && c.isEntry)
            if (!js || css === '') return
            const inject = `(function(){if(typeof document==='undefined'||document.getElementById(${JSON.stringify(widget + '-css')}))return;` +
                `var s=document.createElement('style');s.id=${JSON.stringify(widget + '-css')};s.textContent=${JSON.stringify(css)};document.head.appendChild(s)})();\n`
            // After the banner comment, before the UMD wrapper.
            const at = js.code.startsWith('/*') ? js.code.indexOf('*/') + 2 : 0
            js.code = js.code.slice(0, at) + '\n' + inject + js.code.slice(at)
        }
    }
}

export function widgetConfig (widget, entry, banner) {
    return defineConfig({
        root,
        configFile: false,
        logLevel: 'warn',
        plugins: [vue(), cssIntoJs(widget)],
        define: { 'process.env.NODE_ENV': JSON.stringify('production') },
        build: {
            outDir: fileURLToPath(new URL('../resources', import.meta.url)),
            emptyOutDir: false,
            cssCodeSplit: false,
            minify: true,
            lib: { entry: fileURLToPath(new URL(entry, import.meta.url)), name: widget, formats: ['umd'], fileName: () => `${widget}.umd.js` },
            rollupOptions: { external: ['vue'], output: { globals: { vue: 'Vue' }, banner } }
        }
    })
}
