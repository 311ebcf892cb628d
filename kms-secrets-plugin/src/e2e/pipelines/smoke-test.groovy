// kmsSmokeTest: the table and JUnit XML (published with the junit step), from metadata only: the backend serves no
// value read during the build (the runner counts them at the fake).
node {
    def summary = kmsSmokeTest store: '@STORE@', secrets: ['@NAME_PASSWORD@', '@NAME_MULTILINE@'], junitFile: 'kms-check.xml'
    echo "E2E-SUMMARY ${summary}"
    junit 'kms-check.xml'
}
