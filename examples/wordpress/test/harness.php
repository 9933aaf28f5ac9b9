<?php
/**
 * A stub of the few WordPress functions the plugin calls, so the shortcode can run under plain php-cli.
 * The escaping stubs follow WordPress's behaviour for the inputs used here (esc_attr/esc_html: HTML
 * special characters with quotes; esc_url: http(s) only, then the same). Prints one JSON object of cases.
 */
define('ABSPATH', __DIR__);
if (getenv('IMLU_API_BASE_TEST')) {
    define('IMLU_API_BASE', getenv('IMLU_API_BASE_TEST'));
}

$GLOBALS['shortcodes'] = [];
$GLOBALS['modules'] = [];

function apply_filters($hook, $value) { return $value; }
function add_shortcode($tag, $callback) { $GLOBALS['shortcodes'][$tag] = $callback; }
function shortcode_atts($pairs, $atts, $shortcode = '') {
    $atts = (array) $atts;
    $out = [];
    foreach ($pairs as $name => $default) {
        $out[$name] = array_key_exists($name, $atts) ? $atts[$name] : $default;
    }
    return $out;
}
function wp_enqueue_script_module($id, $src = '', $deps = [], $version = false) { $GLOBALS['modules'][$id] = $src; }
function esc_attr($text) { return htmlspecialchars((string) $text, ENT_QUOTES, 'UTF-8'); }
function esc_html__($text, $domain = 'default') { return htmlspecialchars((string) $text, ENT_QUOTES, 'UTF-8'); }
function esc_url($url) {
    $url = (string) $url;
    if (!preg_match('#^https?://#i', $url)) return '';
    return htmlspecialchars($url, ENT_QUOTES, 'UTF-8');
}

require __DIR__ . '/../imlu-petition/imlu-petition.php';

$cases = json_decode(file_get_contents('php://stdin'), true);
$results = [];
foreach ($cases as $name => $atts) {
    $GLOBALS['modules'] = [];
    $html = call_user_func($GLOBALS['shortcodes']['imlu_petition'], $atts);
    $results[$name] = ['html' => $html, 'modules' => (object) $GLOBALS['modules']];
}
echo json_encode(['shortcodes' => array_keys($GLOBALS['shortcodes']), 'results' => $results], JSON_UNESCAPED_SLASHES);
