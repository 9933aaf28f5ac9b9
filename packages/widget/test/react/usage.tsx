// Compile-only check of src/react.ts (run by `pnpm typecheck`): a React 19 app using the elements. Each
// expected-error directive below fails the typecheck if the types stop catching that mistake.
import type {} from '../../src/react.ts';
import type { ImluSignedEvent } from '../../src/events.ts';

export function SignHere({ onSigned }: { onSigned: (status: string) => void }) {
  return (
    <section>
      <imlu-counter campaign="justice-for-survivors" api="https://api.example.org" />
      <imlu-accountability
        campaign="justice-for-survivors"
        api="https://api.example.org"
        status="overdue"
        theme="light"
        onimlu-error={(event) => console.warn(event.detail.type)}
      />
      <imlu-petition
        campaign="justice-for-survivors"
        api="https://api.example.org"
        source="partner-ref"
        theme="dark"
        lang="sw"
        className="petition"
        onimlu-signed={(event: ImluSignedEvent) => onSigned(event.detail.status)}
        onimlu-error={(event) => console.warn(event.detail.type, event.detail.status)}
      >
        <p slot="thank-you">Asante!</p>
      </imlu-petition>
    </section>
  );
}

// @ts-expect-error campaign is required
export const missingCampaign = <imlu-petition api="https://api.example.org" />;
// @ts-expect-error theme is light or dark
export const badTheme = <imlu-petition campaign="x" api="https://api.example.org" theme="blue" />;
// @ts-expect-error the signed event's detail has no signer data
export const noName = <imlu-petition campaign="x" api="y" onimlu-signed={(event) => event.detail.name} />;
// @ts-expect-error status is one of the filter values
export const badFilter = <imlu-accountability campaign="x" api="y" status="late" />;
