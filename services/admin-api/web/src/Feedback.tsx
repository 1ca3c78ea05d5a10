/** What an action said: a refusal (announced as an alert) or a confirmation (a status). */
export function Feedback({ error, notice }: { error?: string | null; notice?: string | null }) {
  return (
    <>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {notice && (
        <p role="status" className="notice">
          {notice}
        </p>
      )}
    </>
  );
}
