<?php
/**
 * Plugin Name:       IMLU Petition
 * Description:       Embeds IMLU Campaign SDK petitions with the [imlu_petition campaign="…"] shortcode.
 * Version:           0.1.0
 * Requires at least: 6.5
 * Requires PHP:      8.1
 * License:           AGPL-3.0-or-later
 * Text Domain:       imlu-petition
 *
 * The widget is one ES module (embed.js) from your IMLU API host. It is enqueued only on pages that use
 * the shortcode, as a module (wp_enqueue_script_module, WordPress 6.5+). The shortcode prints the element;
 * every attribute is escaped, and only the documented attributes are passed on.
 */

if (!defined('ABSPATH')) {
    exit;
}

/** Base URL of the IMLU API, e.g. https://campaigns.imlu.org. Set it in wp-config.php or a filter. */
function imlu_petition_api_base(): string
{
    $base = defined('IMLU_API_BASE') ? (string) IMLU_API_BASE : 'https://campaigns.imlu.org';
    return rtrim((string) apply_filters('imlu_petition_api_base', $base), '/');
}

/**
 * [imlu_petition campaign="justice-for-survivors" source="my-site" lang="sw" theme="dark" counter="yes"]
 */
function imlu_petition_shortcode($atts): string
{
    $atts = shortcode_atts(
        [
            'campaign' => '',
            'source'   => '',
            'lang'     => '',
            'theme'    => '',
            'counter'  => 'no',
        ],
        $atts,
        'imlu_petition'
    );

    // A campaign slug is lower-case letters, digits and single hyphens; anything else renders nothing.
    $campaign = (string) $atts['campaign'];
    if (!preg_match('/^[a-z0-9]+(?:-[a-z0-9]+)*$/', $campaign) || strlen($campaign) > 80) {
        return '';
    }
    $api = imlu_petition_api_base();

    wp_enqueue_script_module('imlu-embed', $api . '/embed.js', [], null);

    $attributes = sprintf(' campaign="%s" api="%s"', esc_attr($campaign), esc_url($api));
    $source = substr(trim((string) $atts['source']), 0, 200);
    if ($source !== '') {
        $attributes .= sprintf(' source="%s"', esc_attr($source));
    }
    if (in_array($atts['lang'], ['en', 'sw'], true)) {
        $attributes .= sprintf(' lang="%s"', esc_attr($atts['lang']));
    }
    if (in_array($atts['theme'], ['light', 'dark'], true)) {
        $attributes .= sprintf(' theme="%s"', esc_attr($atts['theme']));
    }

    // Without script (feature phones, script blockers), the hosted petition page signs with a plain form.
    $hosted = $api . '/c/' . rawurlencode($campaign) . ($source !== '' ? '?source=' . rawurlencode($source) : '');
    $noscript = sprintf(
        '<noscript><p><a href="%s">%s</a></p></noscript>',
        esc_url($hosted),
        esc_html__('Sign the petition / Tia sahihi', 'imlu-petition')
    );

    $counter = in_array($atts['counter'], ['yes', 'true', '1'], true)
        ? sprintf('<imlu-counter campaign="%s" api="%s"></imlu-counter>', esc_attr($campaign), esc_url($api))
        : '';

    // Reserve the space before the module has loaded, so the page does not shift.
    $style = '<style>imlu-petition:not(:defined){display:block;min-height:75rem}</style>';

    return $style . $counter . '<imlu-petition' . $attributes . '></imlu-petition>' . $noscript;
}

add_shortcode('imlu_petition', 'imlu_petition_shortcode');
