/** `modify-vmr` -> `ModifyVmr`, `/v1/usg/` -> `V1Usg`: construct ids stay readable in the console and in cdk-nag reports. */
export function constructIdOf(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}
